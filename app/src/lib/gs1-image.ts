/**
 * Reads the pack code from a photo or scan of the pack: a GS1 DataMatrix, or a QR code
 * holding a GS1 Digital Link. Browser only (it draws the image on a canvas); the text it
 * gives goes to `parsePackCode` of ./gs1.
 *
 * ZXing writes the symbol's FNC1 separators as GS (U+001D), which parsePackCode reads.
 */
import { BrowserMultiFormatReader } from '@zxing/browser';
import { BarcodeFormat, DecodeHintType, NotFoundException } from '@zxing/library';

function reader(): BrowserMultiFormatReader {
  const hints = new Map<DecodeHintType, unknown>([
    [DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.DATA_MATRIX, BarcodeFormat.QR_CODE]],
    [DecodeHintType.TRY_HARDER, true],
  ]);
  return new BrowserMultiFormatReader(hints);
}

/**
 * The text of the DataMatrix or QR code in the image `file`. Rejects with an Error in words
 * when the image cannot be read or holds no such code. The image is read from a blob: URL
 * (allowed by the page's img-src), never uploaded anywhere.
 */
export async function decodeImage(file: Blob): Promise<string> {
  const url = URL.createObjectURL(file);
  try {
    const result = await reader().decodeFromImageUrl(url);
    return result.getText();
  } catch (e) {
    if (e instanceof NotFoundException) {
      throw new Error('No DataMatrix or QR code was found in the image: try a sharper, closer, well-lit photo');
    }
    throw new Error(`The image could not be read: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    URL.revokeObjectURL(url);
  }
}
