// Saving a file made in the page: nothing is uploaded. What the optimizer lab exports is
// in optimizer-export.js, its race as media in recording.js; the network lab's model and
// data are written by network-main.js.

export function download(name, blob) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
