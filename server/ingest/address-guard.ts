import { isIP } from "node:net";
import { getLogger } from "@logtape/logtape";
import { Agent, buildConnector, type Dispatcher, setGlobalDispatcher } from "undici";
import { checkUrl, type SafeFetchOptions } from "./safe-fetch.ts";

/**
 * The address rules of safe-fetch.ts for requests we do not make ourselves: Fedify delivers
 * activities with the global `fetch`. Every new connection of that `fetch` resolves its host,
 * refuses it if any address is private (unless allowed), and connects to the address it checked,
 * so a host that resolves to a public address when its actor is stored and to a private one
 * later (DNS rebinding) gets nothing. Pooled connections stay on the address they were checked at.
 */
const logger = getLogger(["baltic", "ingest", "address-guard"]);

type Options = Pick<SafeFetchOptions, "allowPrivateAddress" | "isAllowedAddress" | "lookup">;

const CONNECT_TIMEOUT_MS = 10_000;

/** An undici Agent whose connections obey the address rules. */
export function guardedAgent(options: Options): Agent {
  const connect = buildConnector({ timeout: CONNECT_TIMEOUT_MS });
  return new Agent({
    connect: (opts, callback) => {
      const host = opts.hostname.replace(/^\[|\]$/g, "");
      const authority = isIP(host) === 6 ? `[${host}]` : host;
      const url = new URL(`${opts.protocol}//${authority}${opts.port ? `:${opts.port}` : ""}/`);
      checkUrl(url, options).then(
        (address) =>
          connect(
            {
              ...opts,
              hostname: address,
              // TLS still names (and verifies the certificate of) the host, not the address.
              servername: opts.servername ?? (isIP(host) ? undefined : host),
            },
            callback,
          ),
        (error: unknown) => {
          logger.warn("Refused a connection to {host}: {error}", { host, error: String(error) });
          callback(error as Error, null);
        },
      );
    },
  });
}

/**
 * Makes the global `fetch` of this thread obey the address rules: each thread that may send
 * (the server's, the delivery thread's, the CLI's) calls it at start.
 */
export function installAddressGuard(options: Options): Dispatcher {
  const agent = guardedAgent(options);
  setGlobalDispatcher(agent);
  return agent;
}
