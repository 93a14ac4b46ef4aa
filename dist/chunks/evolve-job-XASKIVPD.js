import { createRequire as __shCreateRequire } from 'node:module'; const require = __shCreateRequire(import.meta.url);
import {
  runEvolveJob,
  surfaceRefusals
} from "./chunk-VUZTRZPU.js";
import "./chunk-IJ5X74GL.js";
import "./chunk-DAFBSH72.js";
import "./chunk-B27T5SMF.js";
import "./chunk-7UCGPLZP.js";
import "./chunk-G4ICGD2E.js";
import "./chunk-HPFXLKOO.js";
import "./chunk-6TOCAU3U.js";
import "./chunk-HSX26G5O.js";
import "./chunk-B4JJWNIC.js";
import "./chunk-LYOLHC7T.js";
import "./chunk-GSGZFBKP.js";
export {
  runEvolveJob,
  surfaceRefusals
};
