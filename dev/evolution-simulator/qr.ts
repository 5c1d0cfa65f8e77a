import QRCode from "qrcode";
import type { Random } from "./random";
import type { ActiveQr } from "./model";

/** A QR shaped like Baileys' (`2@ref,noiseKey,identityKey,advSecret`), rendered as a real PNG data URL. */
export async function makeQr(random: Random, count: number): Promise<ActiveQr> {
  const code = `2@${random.text(60)},${random.text(44)},${random.text(44)},${random.text(44)}`;
  const base64 = await QRCode.toDataURL(code, { margin: 1, width: 264, errorCorrectionLevel: "L" });
  return { code, base64, count };
}
