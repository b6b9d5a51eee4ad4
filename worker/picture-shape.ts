import { imageSize } from "image-size";

/**
 * Whether a screencast picture has the shape of the view Chromium says it shows. Just after a start,
 * or while the view is resized, Chromium can send a picture of its surface as it was (measured: a
 * 390×390 picture of a 390×700 view), which the phone would stretch over the view, with taps landing
 * off what it shows. The picture may be smaller or larger than the view (it is fitted to the
 * screencast's bounds), so only the shape is compared, to within the rounding of that fit. A picture
 * whose size cannot be read is left to the phone's decoder, as it was before.
 */
export function showsWholeView(image: Buffer, viewWidth: number, viewHeight: number): boolean {
  if (!(viewWidth > 0 && viewHeight > 0)) return true;
  let picture: { width: number; height: number };
  try {
    picture = imageSize(image);
  } catch {
    return true;
  }
  return Math.abs(picture.width * viewHeight - picture.height * viewWidth) <= Math.max(viewWidth, viewHeight);
}
