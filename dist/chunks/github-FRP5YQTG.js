import { createRequire as __shCreateRequire } from 'node:module'; const require = __shCreateRequire(import.meta.url);
import {
  context,
  getOctokit
} from "./chunk-B27T5SMF.js";
import "./chunk-7UCGPLZP.js";
import "./chunk-GSGZFBKP.js";
export {
  context,
  getOctokit
};
