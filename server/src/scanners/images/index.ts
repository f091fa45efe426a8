/**
 * The image and DLAMI recognisers: pure functions over a string and a mapping from its offsets to
 * file positions, shared by every scanner (Dockerfile, and any file format holding image URIs,
 * DLAMI names or SSM parameter paths).
 */
export type { OffsetToPosition, ParsedImage, RecognizeOptions, Span } from './imageUri';
export { findImageReferences, parseImageAt, placeholderEnd, recognizeImage } from './imageUri';
export type { BaseImageMatch } from './baseImage';
export { classifyBaseImage } from './baseImage';
export { findDlamiReferences, recognizeDlami } from './dlami';
