import { createRequire as __shCreateRequire } from 'node:module'; const require = __shCreateRequire(import.meta.url);
import {
  runEvolveJob,
  surfaceRefusals
} from "./chunk-54KIXEAR.js";
import "./chunk-TZFZEJTI.js";
import "./chunk-UJ2FYIPZ.js";
import "./chunk-3ORETJ62.js";
import "./chunk-SRSIVSPE.js";
import "./chunk-B27T5SMF.js";
import "./chunk-7UCGPLZP.js";
import "./chunk-BNPSNPX4.js";
import "./chunk-K2PAEO7U.js";
import "./chunk-V5UGTUUP.js";
import "./chunk-EPB3JLRR.js";
import "./chunk-WD63SZHH.js";
import "./chunk-LYOLHC7T.js";
import "./chunk-GSGZFBKP.js";
export {
  runEvolveJob,
  surfaceRefusals
};
