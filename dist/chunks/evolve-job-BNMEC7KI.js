import { createRequire as __shCreateRequire } from 'node:module'; const require = __shCreateRequire(import.meta.url);
import {
  runEvolveJob,
  surfaceRefusals
} from "./chunk-Q67MSIXV.js";
import "./chunk-MS4KXTZ6.js";
import "./chunk-SRSIVSPE.js";
import "./chunk-B27T5SMF.js";
import "./chunk-7UCGPLZP.js";
import "./chunk-E4P3MC3Q.js";
import "./chunk-H6MS52GR.js";
import "./chunk-BNPSNPX4.js";
import "./chunk-4G366Y4L.js";
import "./chunk-HSX26G5O.js";
import "./chunk-WD63SZHH.js";
import "./chunk-LYOLHC7T.js";
import "./chunk-GSGZFBKP.js";
export {
  runEvolveJob,
  surfaceRefusals
};
