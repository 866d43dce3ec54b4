import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import sharp from "sharp";

/** Real image files of each format, made with sharp, 64×48 pixels. */
export async function sampleImages(): Promise<Record<string, { body: Buffer; type: string }>> {
  const base = () => sharp({ create: { width: 64, height: 48, channels: 3, background: "#3a6ea5" } });
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="48"><rect/></svg>');
  return {
    "photo.jpg": { body: await base().jpeg().toBuffer(), type: "image/jpeg" },
    "logo.png": { body: await base().png().toBuffer(), type: "image/png" },
    "anim.gif": { body: await base().gif().toBuffer(), type: "image/gif" },
    "pic.webp": { body: await base().webp().toBuffer(), type: "image/webp" },
    "pic.avif": { body: await base().avif().toBuffer(), type: "image/avif" },
    // Served with an image/png type and name: only the bytes tell it is SVG.
    "sneaky.png": { body: svg, type: "image/png" },
    "drawing.svg": { body: svg, type: "image/svg+xml" },
    "text.jpg": { body: Buffer.from("not an image at all"), type: "image/jpeg" },
  };
}

export interface ImageServer {
  /** The URL of one of the sample images (or of a path that answers 404). */
  url(name: string): string;
  close(): Promise<void>;
}

/**
 * A stand-in for the websites whose images libraries link (the outside world we cannot reach):
 * serves the sample images on loopback.
 */
export async function startImageServer(): Promise<ImageServer> {
  const images = await sampleImages();
  const server: Server = createServer((req, res) => {
    const image = images[(req.url ?? "").replace(/^\//, "")];
    if (!image) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "Content-Type": image.type, "Content-Length": image.body.length }).end(image.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (name) => `http://127.0.0.1:${port}/${name}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
