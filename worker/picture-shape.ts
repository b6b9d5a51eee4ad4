import { imageSize } from "image-size";

/**
 * A picture this small either way has no shape to tell: a 1×1 picture is the rounding of a fit of
 * any view. Chromium fits its screencast to the view's CSS size, so no picture of the whole view is
 * anywhere near this small.
 */
export const MIN_PICTURE_SIDE = 16;

/**
 * Whether a screencast picture has the shape of the view the screencast was started for. Chromium
 * can send a picture that is not of that view:
 * - just after a start, or while the view is resized, a picture of its surface as it was
 *   (measured: a 390×390 picture of a 390×700 view);
 * - while a screenshot with a clip is taken, the picture of the clip's metrics (measured, Chromium
 *   156: a 1×1 or 3×3 picture from the one-pixel capture that tells the browser's density, see
 *   raster-scale.ts). Its metadata then gives the clip's size too, so it is the view's size that
 *   a picture is compared with, never the frame's own metadata.
 * The phone would stretch such a picture over the view. A picture may be smaller or larger than
 * the view (it is fitted to the screencast's bounds), so only the shape is compared, to within the
 * rounding of that fit. A picture whose size cannot be read is left to the phone's decoder, as it
 * was before.
 */
export function showsWholeView(image: Buffer, viewWidth: number, viewHeight: number): boolean {
  if (!(viewWidth > 0 && viewHeight > 0)) return true;
  let picture: { width: number; height: number };
  try {
    picture = imageSize(image);
  } catch {
    return true;
  }
  // A header that gives no size (image-size reads 0 from a truncated one) is as unreadable.
  if (!(picture.width > 0 && picture.height > 0)) return true;
  if (picture.width < MIN_PICTURE_SIDE || picture.height < MIN_PICTURE_SIDE) return false;
  return Math.abs(picture.width * viewHeight - picture.height * viewWidth) <= Math.max(viewWidth, viewHeight);
}
