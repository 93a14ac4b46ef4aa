import { createRequire as __shCreateRequire } from 'node:module'; const require = __shCreateRequire(import.meta.url);
import {
  runEvolveJob,
  surfaceRefusals
} from "./chunk-VL6CFVOA.js";
import "./chunk-HTPWSKTA.js";
import "./chunk-L7KFWPIU.js";
import "./chunk-EDN7KJVB.js";
import "./chunk-SRSIVSPE.js";
import "./chunk-B27T5SMF.js";
import "./chunk-7UCGPLZP.js";
import "./chunk-BNPSNPX4.js";
import "./chunk-BPHY54VV.js";
import "./chunk-5HFQIQXQ.js";
import "./chunk-WD63SZHH.js";
import "./chunk-LYOLHC7T.js";
import "./chunk-GSGZFBKP.js";
export {
  runEvolveJob,
  surfaceRefusals
};
