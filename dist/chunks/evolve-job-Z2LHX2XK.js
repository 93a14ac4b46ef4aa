import { createRequire as __shCreateRequire } from 'node:module'; const require = __shCreateRequire(import.meta.url);
import {
  runEvolveJob,
  surfaceRefusals
} from "./chunk-TXBPLMDU.js";
import "./chunk-KA6FINCG.js";
import "./chunk-KC66YL5X.js";
import "./chunk-SRSIVSPE.js";
import "./chunk-B27T5SMF.js";
import "./chunk-7UCGPLZP.js";
import "./chunk-BNPSNPX4.js";
import "./chunk-5ZA3CGUF.js";
import "./chunk-WE757MMC.js";
import "./chunk-EPB3JLRR.js";
import "./chunk-WD63SZHH.js";
import "./chunk-LYOLHC7T.js";
import "./chunk-GSGZFBKP.js";
export {
  runEvolveJob,
  surfaceRefusals
};
