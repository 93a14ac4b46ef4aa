import { createRequire as __shCreateRequire } from 'node:module'; const require = __shCreateRequire(import.meta.url);
import {
  judge,
  prerunValidationShard,
  validateRefs,
  writeReport
} from "./chunk-TDS37WX3.js";
import "./chunk-5UNDODIP.js";
import "./chunk-4IMZLQMH.js";
import "./chunk-CZPU55ZN.js";
import "./chunk-PLQTHMBR.js";
import "./chunk-EPB3JLRR.js";
import "./chunk-UW3UH3TH.js";
import "./chunk-WD63SZHH.js";
import "./chunk-LYOLHC7T.js";
import "./chunk-GSGZFBKP.js";
export {
  judge,
  prerunValidationShard,
  validateRefs,
  writeReport
};
