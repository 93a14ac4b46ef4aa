import { createRequire as __shCreateRequire } from 'node:module'; const require = __shCreateRequire(import.meta.url);

// src/domain/errors.ts
var UserError = class extends Error {
  name = "UserError";
  constructor(message, options) {
    super(message, options);
  }
};

// src/domain/types.ts
var silentLogger = { info: () => {
}, warn: () => {
} };

export {
  UserError,
  silentLogger
};
