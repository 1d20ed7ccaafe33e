/** The flags module's public face beside its service: the shape other modules' APIs return a flag in. */
export { FlagSchema } from './schemas.ts';
