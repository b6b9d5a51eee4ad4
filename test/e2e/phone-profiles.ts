/** The phones the phone page is walked through with: an iPhone and a large Android, both ways up. */
import { PHONE, type PhoneProfile } from "../../worker/demo/phone-bot";

export const IPHONE: PhoneProfile = PHONE;

/** A large Android phone (412×915 CSS px at 2.6×, as a Pixel 7 reports). */
export const PIXEL: PhoneProfile = {
  viewport: { width: 412, height: 915 },
  deviceScaleFactor: 2.6,
  isMobile: true,
  hasTouch: true,
  userAgent: "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36",
};

/** The same phone turned on its side. */
export function landscape(profile: PhoneProfile): PhoneProfile {
  return { ...profile, viewport: { width: profile.viewport.height, height: profile.viewport.width } };
}

export const PORTRAIT_PHONES: [string, PhoneProfile][] = [
  ["iphone", IPHONE],
  ["android", PIXEL],
];
