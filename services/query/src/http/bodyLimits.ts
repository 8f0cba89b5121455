/** The JSON body limit: the largest body this API takes (a key registration) is far below it. */
export const BODY_LIMIT_BYTES = 64 * 1024;
/** The same limit as the answer 413 states it. */
export const BODY_LIMIT_TEXT = '64 kB';
/** How deeply a request body may nest objects and arrays; ours nest two or three levels. */
export const BODY_MAX_DEPTH = 32;
