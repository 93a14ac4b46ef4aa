import { createRequire as __shCreateRequire } from 'node:module'; const require = __shCreateRequire(import.meta.url);
import {
  judge,
  prerunValidationShard,
  validateRefs,
  writeReport
} from "./chunk-UTD3AKCQ.js";
import "./chunk-4G366Y4L.js";
import "./chunk-CZPU55ZN.js";
import "./chunk-HSX26G5O.js";
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
