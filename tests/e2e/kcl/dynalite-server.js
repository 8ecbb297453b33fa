// Starts dynalite, the DynamoDB emulator that holds the KCL tests' lease tables, on a free port.
//
// dynalite's own CLI reads `--port 0` as "no port given" and listens on 4567, so the tests start this
// wrapper instead: it listens on port 0 and prints one line, "dynalite listening on http://HOST:PORT",
// once it serves. SIGTERM or SIGINT closes the server and exits 0.
'use strict'

const dynalite = require('dynalite')

// Tables become ACTIVE at once: the tests create one lease table per scenario and wait for nothing else.
const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })

server.listen(0, '127.0.0.1', () => {
  const { address, port } = server.address()
  process.stdout.write(`dynalite listening on http://${address}:${port}\n`)
})

function stop () {
  server.close(() => process.exit(0))
  // close() waits for keep-alive connections the SDK may hold open; don't let them keep us alive.
  setTimeout(() => process.exit(0), 2000).unref()
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
