import { createRequire as __shCreateRequire } from 'node:module'; const require = __shCreateRequire(import.meta.url);
import {
  runEvolveJob,
  surfaceRefusals
} from "./chunk-IVSKG52A.js";
import "./chunk-DDK3XOV5.js";
import "./chunk-4MSJFZCU.js";
import "./chunk-SRSIVSPE.js";
import "./chunk-B27T5SMF.js";
import "./chunk-7UCGPLZP.js";
import "./chunk-BNPSNPX4.js";
import "./chunk-5UNDODIP.js";
import "./chunk-PLQTHMBR.js";
import "./chunk-EPB3JLRR.js";
import "./chunk-WD63SZHH.js";
import "./chunk-LYOLHC7T.js";
import "./chunk-GSGZFBKP.js";
export {
  runEvolveJob,
  surfaceRefusals
};
