// Command-line conventions shared by the examples: the port comes from the
// command line, else $PORT, else 54321; the host from the command line, else
// $HOST, else localhost (resolved with getaddrinfo, like the course programs).
export const DEFAULT_PORT = 54321;

export function portArg(value: string | undefined): number {
  const text = value ?? process.env.PORT ?? String(DEFAULT_PORT);
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`bad port: ${text}`);
    process.exit(2);
  }
  return port;
}

export function hostArg(value: string | undefined): string {
  return value ?? process.env.HOST ?? 'localhost';
}

/** "--name value" from argv, or undefined. */
export function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

/** argv without "--name value" options: the positional arguments. */
export function positional(): string[] {
  const out: string[] = [];
  for (let i = 2; i < process.argv.length; i++) {
    if (process.argv[i].startsWith('--')) i++;
    else out.push(process.argv[i]);
  }
  return out;
}
