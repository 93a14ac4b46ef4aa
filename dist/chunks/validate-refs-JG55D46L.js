import { createRequire as __shCreateRequire } from 'node:module'; const require = __shCreateRequire(import.meta.url);
import {
  judge,
  prerunValidationShard,
  validateRefs,
  writeReport
} from "./chunk-X5NTF324.js";
import "./chunk-BPHY54VV.js";
import "./chunk-QR7TRNXK.js";
import "./chunk-EPB3JLRR.js";
import "./chunk-CZPU55ZN.js";
import "./chunk-5HFQIQXQ.js";
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
