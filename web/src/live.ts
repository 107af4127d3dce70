/** Live updates over graphql-ws on /graphql (the bearer token in connection_init): a view reloads when told to. */
import { createClient, type Client } from 'graphql-ws';
import { useEffect, useState } from 'preact/hooks';
import { session } from './api';

let client: Client | null = null;
let clientToken: string | null = null;
/** whether the shared connection is open now (a view that subscribes later sees no new 'connected' event) */
let connected = false;

function clientFor(token: string): Client {
  if (client && clientToken === token) return client;
  client?.dispose();
  clientToken = token;
  client = createClient({
    url: `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/graphql`,
    connectionParams: () => ({ authorization: `Bearer ${token}` }),
    lazy: true,
    retryAttempts: 5,
  });
  connected = false;
  client.on('connected', () => (connected = true));
  client.on('closed', () => (connected = false));
  return client;
}

/**
 * While the view is shown: `onChange` on every message of the subscription. Answers whether the subscription is
 * live (false before the first acknowledgement, after an error, or on a server without it).
 */
export function useLive(query: string, variables: Record<string, unknown>, key: string, onChange: () => void): boolean {
  const [live, setLive] = useState(false);
  useEffect(() => {
    const token = session.token;
    if (!token || typeof WebSocket === 'undefined') return;
    let open = true;
    const ws = clientFor(token);
    const offConnected = ws.on('connected', () => open && setLive(true));
    const offClosed = ws.on('closed', () => open && setLive(false));
    const stop = ws.subscribe(
      { query, variables },
      {
        next: () => {
          if (!open) return;
          setLive(true);
          onChange();
        },
        error: () => open && setLive(false),
        complete: () => open && setLive(false),
      },
    );
    if (connected) setLive(true);
    return () => {
      open = false;
      stop();
      offConnected();
      offClosed();
    };
  }, [key]);
  return live;
}
