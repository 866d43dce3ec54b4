import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A file the stand-in website serves: its bytes and the Content-Type it claims. */
export interface ServedFile {
  type: string;
  body: string | Buffer;
}

export interface FileServer {
  server: Server;
  url(path: string): string;
}

/**
 * The outside world's files (a fake we own) on loopback: each path answers its file, anything
 * else 404. Content types are whatever the test says, so code that reads bytes can be checked.
 */
export function startFileServer(files: Record<string, ServedFile>): Promise<FileServer> {
  const server = createServer((req, res) => {
    const file = files[req.url ?? ""];
    if (file) res.writeHead(200, { "Content-Type": file.type }).end(file.body);
    else res.writeHead(404).end();
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: (path) => `http://127.0.0.1:${port}${path}` });
    }),
  );
}
