// Race mode's player: which iterate is shown, and play / pause / step / back / reset at
// a chosen speed. The animation loop lives here; the core never reads a clock.

export function createPlayer({ onFrame, onEnd }) {
  let current = 0;
  let length = 1;
  let speed = 60; // iterates per second
  let playing = false;
  let last = null;
  let handle = 0;
  let elements = null;

  /** A word hidden on a phone, where the symbols and numbers say it. */
  const word = (text) => {
    const span = document.createElement('span');
    span.className = 'word';
    span.textContent = text;
    return span;
  };

  function show() {
    if (elements) {
      elements.frame.replaceChildren(word('iterate '), `${Math.floor(current)} / ${length - 1}`);
      elements.play.replaceChildren(playing ? '❚❚' : '▶', word(playing ? ' pause' : ' play'));
      elements.play.setAttribute('aria-pressed', String(playing));
    }
    onFrame(Math.floor(current));
  }

  function tick(now) {
    if (!playing) return;
    if (last !== null) current = Math.min(length - 1, current + ((now - last) / 1000) * speed);
    last = now;
    const ended = current >= length - 1;
    if (ended) playing = false;
    show();
    if (ended) onEnd(); // after the last iterate is shown
    if (playing) handle = requestAnimationFrame(tick);
  }

  function setPlaying(on) {
    playing = on && length > 1;
    if (playing && current >= length - 1) current = 0;
    cancelAnimationFrame(handle);
    last = null;
    if (playing) handle = requestAnimationFrame(tick);
    show();
  }

  const player = {
    get frame() {
      return Math.floor(current);
    },
    get playing() {
      return playing;
    },
    /** The play button and the read-out of the iterate shown, kept up to date. */
    attach({ play, frame }) {
      elements = { play, frame };
      show();
    },
    /** The number of iterates of the longest path. */
    setLength(n) {
      length = Math.max(1, n);
      current = Math.min(current, length - 1);
      show();
    },
    setSpeed(iteratesPerSecond) {
      speed = iteratesPerSecond;
    },
    play: () => setPlaying(true),
    toggle: () => setPlaying(!playing),
    stop: () => setPlaying(false),
    step(by) {
      setPlaying(false);
      current = Math.min(length - 1, Math.max(0, Math.floor(current) + by));
      show();
    },
    reset() {
      setPlaying(false);
      current = 0;
      show();
    },
  };
  return player;
}
