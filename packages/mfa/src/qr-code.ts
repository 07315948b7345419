import QRCode from 'qrcode';

/**
 * A QR code of an enrolment URI, in the two forms a page can show.
 *
 * @example
 * img.src = (await qrImages(uri)).pngDataUrl;
 */
export interface QrImages {
  /** An `<svg>` document, to inline in a page. */
  svg: string;
  /** A `data:image/png;base64,...` URL, for an `<img src>`. */
  pngDataUrl: string;
}

// Level M (15 % recovery) scans reliably from a screen at the sizes a page shows.
const OPTIONS = { errorCorrectionLevel: 'M', margin: 2 } as const;

/**
 * Renders `text` (an `otpauth://` URI) as SVG and as a PNG data URL. The images hold the
 * secret: serve them with `Cache-Control: no-store` and never log them.
 *
 * @example
 * const { svg } = await qrImages(uri);
 */
export async function qrImages(text: string): Promise<QrImages> {
  const [svg, pngDataUrl] = await Promise.all([
    QRCode.toString(text, { ...OPTIONS, type: 'svg' }),
    QRCode.toDataURL(text, { ...OPTIONS, type: 'image/png', width: 240 }),
  ]);

  return { svg, pngDataUrl };
}
