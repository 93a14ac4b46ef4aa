import { createRequire as __shCreateRequire } from 'node:module'; const require = __shCreateRequire(import.meta.url);
import {
  judge,
  prerunValidationShard,
  validateRefs,
  writeReport
} from "./chunk-SOXXVWS3.js";
import "./chunk-K2PAEO7U.js";
import "./chunk-4TUJLVJI.js";
import "./chunk-CZPU55ZN.js";
import "./chunk-V5UGTUUP.js";
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
