import { createRequire as __shCreateRequire } from 'node:module'; const require = __shCreateRequire(import.meta.url);
import {
  judge,
  prerunValidationShard,
  validateRefs,
  writeReport
} from "./chunk-6IAY5B6R.js";
import "./chunk-5ZA3CGUF.js";
import "./chunk-WYWJINXP.js";
import "./chunk-CZPU55ZN.js";
import "./chunk-WE757MMC.js";
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
