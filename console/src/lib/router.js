// Hash routes (#/streams, #/streams/NAME/records): the server serves one page, and a reload keeps the view.
import { useEffect, useState } from 'react';

export function useRoute() {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const on = () => setHash(window.location.hash);
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  return parts;
}

export function go(...parts) {
  window.location.hash = '#/' + parts.map(encodeURIComponent).join('/');
}
