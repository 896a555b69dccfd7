// An echo server and its client on 127.0.0.1, in one process: the README's
// example (a test keeps the two the same). Run it: npx tsx examples/echo.ts
import { accept, AF_INET, bind, close, connect, getsockname, listen, recv, send, SOCK_STREAM, socket } from '../lib';

async function main(): Promise<void> {
  const server = socket(AF_INET, SOCK_STREAM);
  bind(server, { family: AF_INET, address: '127.0.0.1', port: 0 }); // port 0: the kernel picks one
  listen(server, 16);
  const address = getsockname(server);

  const served = (async () => {
    const { fd, address: peer } = await accept(server);
    console.log('server: accepted', peer);
    // recv resolves with an empty Buffer when the client closes: then we are done.
    for (let data = await recv(fd, 4096); data.length > 0; data = await recv(fd, 4096)) await send(fd, data);
    close(fd);
  })();

  const client = socket(AF_INET, SOCK_STREAM);
  await connect(client, address);
  await send(client, 'hello, kernel\n');
  console.log('client: echoed', JSON.stringify((await recv(client, 4096)).toString()));
  close(client);
  await served;
  close(server);
}

main();
