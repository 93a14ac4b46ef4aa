import { createRequire as __shCreateRequire } from 'node:module'; const require = __shCreateRequire(import.meta.url);
import {
  judge,
  prerunValidationShard,
  validateRefs,
  writeReport
} from "./chunk-BX6MPZ7P.js";
import "./chunk-6TOCAU3U.js";
import "./chunk-GNR3KPIZ.js";
import "./chunk-HSX26G5O.js";
import "./chunk-UW3UH3TH.js";
import "./chunk-BT4PFPOL.js";
import "./chunk-B4JJWNIC.js";
import "./chunk-LYOLHC7T.js";
import "./chunk-GSGZFBKP.js";
export {
  judge,
  prerunValidationShard,
  validateRefs,
  writeReport
};
