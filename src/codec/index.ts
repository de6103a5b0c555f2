export { type Codec, CodecError } from './codec.js';
export { msgpackCodec } from './msgpack.js';
export { cloneCodec } from './clone.js';
export { jsonCodec } from './json.js';
export { transfer, TransferError, type Movable } from './transfer.js';
