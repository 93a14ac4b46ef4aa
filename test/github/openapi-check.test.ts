import { describe, expect, it } from 'vitest';
import { checkRequest } from './openapi-check.js';

describe("checkRequest (the REST double's OpenAPI gate)", () => {
  it('accepts a valid request and names its operation', () => {
    expect(checkRequest('POST', '/repos/o/r/pulls', {}, { title: 't', head: 'b', base: 'main', body: 'x' })).toEqual({
      operationId: 'pulls/create',
      pathParams: { owner: 'o', repo: 'r' },
    });
    expect(checkRequest('GET', '/repos/o/r/pulls/12/files', { per_page: '100', page: '2' }, undefined)).toMatchObject({ operationId: 'pulls/list-files' });
  });

  it('flags missing required fields, wrong enums, wrong types and unknown parameters', () => {
    expect(checkRequest('POST', '/repos/o/r/pulls', {}, { title: 't', base: 'main' })).toMatchObject({
      problem: expect.stringContaining("must have required property 'head'"),
    });
    expect(checkRequest('POST', '/repos/o/r/issues/comments/5/reactions', {}, { content: 'thumbsup' })).toMatchObject({
      problem: expect.stringContaining('allowed values'),
    });
    expect(checkRequest('GET', '/repos/o/r/pulls/abc', {}, undefined)).toMatchObject({ problem: expect.stringContaining('path:pull_number') });
    expect(checkRequest('GET', '/repos/o/r/pulls', { heads: 'x' }, undefined)).toMatchObject({ problem: expect.stringContaining('query:heads') });
    const annotations = Array.from({ length: 51 }, () => ({ path: 'a', start_line: 1, end_line: 1, annotation_level: 'notice', message: 'm' }));
    expect(checkRequest('PATCH', '/repos/o/r/check-runs/1', {}, { output: { title: 't', summary: 's', annotations } })).toMatchObject({
      problem: expect.stringContaining('must NOT have more than 50 items'),
    });
  });

  it('flags operations outside the subset', () => {
    expect(checkRequest('DELETE', '/repos/o/r', {}, undefined)).toEqual({ problem: expect.stringContaining('not an operation of the OpenAPI subset') });
  });
});
