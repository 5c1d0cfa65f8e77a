/**
 * pglite-socket 0.2.17 multiplexes many client connections onto PGlite's one session, keeping a
 * connection's statements together only inside a transaction. Outside one, two clients' extended-
 * protocol messages (Parse, Bind, Describe, Execute … Sync) interleave and clobber each other's unnamed
 * statement ("bind message supplies 9 parameters, but prepared statement \"\" requires 2"). This
 * replaces its queue's scheduler with one that also keeps a connection's messages together from its
 * first extended-protocol message to its Sync. It relies on that version's internals, which is why the
 * package is pinned exactly; the concurrent-pass integration test fails if this stops holding.
 */

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve(bytes: number): void;
  reject(error: unknown): void;
  onData(data: Uint8Array): void;
}

interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: {
    isInTransaction(): boolean;
    runExclusive<T>(fn: () => Promise<T>): Promise<T>;
    execProtocolRawStream(message: Uint8Array, options: { onRawData(data: Uint8Array): void }): Promise<unknown>;
  };
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

const SYNC = 0x53; // 'S'
const SIMPLE_QUERY = 0x51; // 'Q'
// Parse, Bind, Describe, Execute, Close, Flush: the session belongs to their sender until Sync.
const EXTENDED = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48]);

export function keepExtendedProtocolTogether(server: unknown): void {
  const queue = (server as { queryQueue?: QueryQueue }).queryQueue;
  if (!queue || !Array.isArray(queue.queue) || typeof queue.processQueue !== "function") {
    throw new Error("pglite-socket internals changed: cannot keep extended-protocol messages together");
  }
  let groupOwner: number | null = null;

  queue.processQueue = async function processQueue(this: QueryQueue) {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const holder = groupOwner ?? (this.db.isInTransaction() ? this.lastHandlerId : null);
        const index = holder === null ? 0 : this.queue.findIndex((item) => item.handlerId === holder);
        if (index === -1) break; // the holder's next message has not arrived yet
        const [item] = this.queue.splice(index, 1);
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          item.reject(error);
          continue;
        }
        const type = item.message[0];
        if (type === SYNC || type === SIMPLE_QUERY) groupOwner = null;
        else if (EXTENDED.has(type)) groupOwner = item.handlerId;
        this.lastHandlerId = item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };

  const clear = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId: number) => {
    clear(handlerId);
    if (groupOwner === handlerId) groupOwner = null;
    void queue.processQueue();
  };
}
