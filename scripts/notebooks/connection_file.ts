/**
 * The kernel connection file: which 127.0.0.1 ports the kernel binds and the key that signs
 * every message. Jupyter writes the same JSON when it starts a kernel.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

/** The content of a Jupyter connection file. */
export interface ConnectionInfo {
  transport: "tcp";
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  signature_scheme: "hmac-sha256";
  key: string;
  kernel_name: string;
}

/** Kernels listen on the loopback interface only. */
export const LOOPBACK = "127.0.0.1";

/** Asks the OS for a free port on the loopback interface. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("could not read the port of a probe socket"));
      });
    });
  });
}

/** Five distinct free ports (probed one after another so none repeats). */
async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = await freePort();
    if (!ports.includes(port)) ports.push(port);
  }
  return ports;
}

/** Connection settings with five free loopback ports and a fresh signing key. */
export async function newConnectionInfo(kernelName: string): Promise<ConnectionInfo> {
  const [shell, iopub, stdin, control, hb] = await freePorts(5);
  return {
    transport: "tcp",
    ip: LOOPBACK,
    shell_port: shell!,
    iopub_port: iopub!,
    stdin_port: stdin!,
    control_port: control!,
    hb_port: hb!,
    signature_scheme: "hmac-sha256",
    key: randomBytes(32).toString("hex"),
    kernel_name: kernelName,
  };
}

/** A connection file written to disk. */
export interface ConnectionFile {
  path: string;
  info: ConnectionInfo;
  /** Removes the file and its temporary folder. */
  remove(): void;
}

/** Writes the connection file into a fresh private temporary folder. */
export async function writeConnectionFile(kernelName: string): Promise<ConnectionFile> {
  const info = await newConnectionInfo(kernelName);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "replication-course-kernel-"));
  const file = path.join(dir, "kernel.json");
  fs.writeFileSync(file, JSON.stringify(info, null, 1), { mode: 0o600 });
  return {
    path: file,
    info,
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** The ZeroMQ address of one of the kernel's ports. */
export function endpoint(info: ConnectionInfo, port: number): string {
  return `${info.transport}://${info.ip}:${port}`;
}
