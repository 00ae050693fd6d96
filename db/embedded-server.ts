/**
 * Serves one PGlite instance over the Postgres wire protocol to many connections.
 *
 * PGlite is a single session, so connections must take turns — but not message by
 * message: an extended-protocol exchange (Parse, Bind, Describe, Execute … Sync) must
 * run without another connection's messages in between, or the unnamed statement of
 * one client is bound with another's parameters ("bind message supplies 1 parameters,
 * but prepared statement requires 2"), which pglite-socket's multiplexer does under
 * load. Here a connection holds the session from its first message until its Sync or
 * simple Query completes, and for as long as it keeps a transaction open.
 *
 * With `password` set, a client must send it (cleartext password authentication: the
 * server only listens on loopback, which other users cannot sniff) before its startup
 * message reaches PGlite, which itself accepts any user and password.
 */
import { timingSafeEqual } from "node:crypto";
import net from "node:net";
import type { PGlite } from "@electric-sql/pglite";

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;

/** A FIFO lock over the PGlite session. */
class SessionLock {
  private owner: number | null = null;
  private waiters: { id: number; resume: () => void }[] = [];

  acquire(id: number): Promise<void> {
    if (this.owner === null) {
      this.owner = id;
      return Promise.resolve();
    }
    return new Promise((resume) => this.waiters.push({ id, resume }));
  }

  release(id: number): void {
    if (this.owner !== id) return;
    const next = this.waiters.shift();
    this.owner = next ? next.id : null;
    next?.resume();
  }

  drop(id: number): void {
    this.waiters = this.waiters.filter((w) => w.id !== id);
    this.release(id);
  }
}

export interface PgliteServer {
  port: number;
  close(): Promise<void>;
}

/** A backend message: type byte, length, body. */
function message(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, "latin1");
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

const ASK_FOR_PASSWORD = message("R", Buffer.from([0, 0, 0, 3])); // AuthenticationCleartextPassword

function fatal(code: string, text: string): Buffer {
  const field = (k: string, v: string) =>
    Buffer.concat([Buffer.from(k, "latin1"), Buffer.from(v, "utf8"), Buffer.from([0])]);
  return message(
    "E",
    Buffer.concat([field("S", "FATAL"), field("V", "FATAL"), field("C", code), field("M", text), Buffer.from([0])]),
  );
}

function samePassword(given: Buffer, expected: string): boolean {
  const a = given;
  const b = Buffer.from(expected, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function servePglite(
  db: PGlite,
  o: { host?: string; port?: number; password?: string } = {},
): Promise<PgliteServer> {
  const lock = new SessionLock();
  const sockets = new Set<net.Socket>();
  let nextId = 1;

  const server = net.createServer((socket) => {
    const id = nextId++;
    sockets.add(socket);
    socket.setNoDelay(true);
    let buffer: Buffer = Buffer.alloc(0);
    let started = false;
    /** the startup message, held back until the password is checked */
    let pendingStartup: Buffer | null = null;
    let holding = false;
    let closed = false;
    // Messages of one connection run strictly in arrival order.
    let chain: Promise<void> = Promise.resolve();

    const run = async (message: Buffer, type: string | null) => {
      if (closed) return;
      if (type === "X") {
        socket.end();
        return;
      }
      if (!holding) {
        await lock.acquire(id);
        holding = true;
      }
      if (closed) return;
      await db.runExclusive(() =>
        db.execProtocolRawStream(new Uint8Array(message), {
          onRawData: (chunk: Uint8Array) => {
            // copy: the chunk is a view into PGlite's wasm memory, which is reused (or
            // detached when it grows) while a large response still waits in the socket queue
            if (!closed && socket.writable) socket.write(Buffer.from(chunk));
          },
        }),
      );
      const boundary = type === null || type === "S" || type === "Q";
      if (boundary && !db.isInTransaction()) {
        holding = false;
        lock.release(id);
      }
    };

    const onData = (data: Buffer) => {
      buffer = buffer.length ? Buffer.concat([buffer, data]) : data;
      for (;;) {
        if (pendingStartup) {
          if (buffer.length < 5) return;
          const len = 1 + buffer.readInt32BE(1);
          if (buffer.length < len) return;
          const type = String.fromCharCode(buffer[0]);
          const given = buffer.subarray(5, len - 1); // NUL-terminated
          buffer = buffer.subarray(len);
          if (type !== "p" || !samePassword(given, o.password!)) {
            socket.end(fatal("28P01", "password authentication failed for the embedded database"));
            return;
          }
          const startup = pendingStartup;
          pendingStartup = null;
          started = true;
          chain = chain.then(() => run(startup, null));
          continue;
        }
        if (!started) {
          if (buffer.length < 8) return;
          const len = buffer.readInt32BE(0);
          const code = buffer.readInt32BE(4);
          if (buffer.length < len) return;
          const msg = buffer.subarray(0, len);
          buffer = buffer.subarray(len);
          if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
            socket.write("N"); // no encryption on loopback
            continue;
          }
          if (code === CANCEL_REQUEST) {
            socket.end();
            return;
          }
          if (code !== PROTOCOL_3) {
            socket.destroy();
            return;
          }
          if (o.password !== undefined) {
            pendingStartup = Buffer.from(msg);
            socket.write(ASK_FOR_PASSWORD);
            continue;
          }
          started = true;
          chain = chain.then(() => run(Buffer.from(msg), null));
          continue;
        }
        if (buffer.length < 5) return;
        const len = 1 + buffer.readInt32BE(1);
        if (buffer.length < len) return;
        const msg = Buffer.from(buffer.subarray(0, len));
        buffer = buffer.subarray(len);
        const type = String.fromCharCode(msg[0]);
        chain = chain.then(() => run(msg, type));
      }
    };

    const cleanup = () => {
      if (closed) return;
      closed = true;
      sockets.delete(socket);
      chain = chain.then(async () => {
        // A client that vanished mid-transaction must not leave the session locked.
        if (holding && db.isInTransaction()) await db.exec("ROLLBACK").catch(() => undefined);
        holding = false;
        lock.drop(id);
      });
    };

    socket.on("data", onData);
    socket.on("error", cleanup);
    socket.on("close", cleanup);
    chain.catch(() => socket.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port ?? 0, o.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
