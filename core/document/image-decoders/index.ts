/**
 * Decoders for the image formats PDFium does not read (BMP, GIF, TIFF, WEBP) and the raw-pixel work
 * the document engine does on decoded pages. Pure functions of bytes, meant for the document worker:
 * untrusted input only ever reaches them there.
 *
 * Every decoder refuses, with a DocumentError, damaged or unsupported files and any size over its
 * `maxPixels` argument — checked from the header before anything is allocated. Sizes can be read on
 * their own, without decoding:
 *
 *   readBmpSize(bytes): ImageSize                       decodeBmp(bytes, maxPixels): RawImage
 *   readGifInfo(bytes): GifInfo (size, frameCount)      decodeGif(bytes, frameIndex, maxPixels): RawImage
 *   readTiffFrames(bytes): ImageSize[]                  decodeTiffFrame(bytes, frameIndex, maxPixels): RawImage
 *   readWebpSize(bytes): ImageSize                      decodeWebp(bytes, maxPixels): Promise<RawImage>
 *
 * Libraries: utif2 (TIFF strips and fax codes), omggif (GIF block structure; the LZW is decoded
 * here), @jsquash/webp (WEBP, WebAssembly); BMP is read here.
 *
 * RawImage is 8 bits per channel, rows packed: 1 = grey (grey and bilevel scans stay grey), 3 = RGB,
 * 4 = RGBA (only when some pixel is not opaque). Helpers on it:
 *
 *   flattenAlpha(image)           alpha onto white: 1 or 3 channels
 *   toRgb(image)                  3 channels
 *   cropRaw(image, x0, y0, x1, y1)   clamped to the image; null when nothing is inside
 *   drawBoxesRaw(image, boxes, thickness)   red outlines on an RGB copy, boxes clamped to the image
 *   encodeRawPng(image)           a PNG (grey or RGB) through png-encoder.ts
 */
export { decodeBmp, readBmpSize } from './bmp';
export { decodeGif, readGifInfo, type GifInfo } from './gif';
export {
	checkDeclaredSize,
	cropRaw,
	drawBoxesRaw,
	encodeRawPng,
	flattenAlpha,
	megapixels,
	toRgb,
	type ImageSize,
	type RawImage,
} from './raw-image';
export { decodeTiffFrame, readTiffFrames } from './tiff';
export { decodeWebp, readWebpSize } from './webp';
