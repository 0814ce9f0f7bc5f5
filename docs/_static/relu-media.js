// Videos in the reader's theme, loaded only when shown. Each <video> of the guide comes
// without poster and source; the inline script right after it calls reluMedia(video), which
// gives it the poster and the source of the light or dark variant before the page is painted,
// and a play button on the poster. Switching theme (furo's toggle or the system's) swaps them.
(() => {
  "use strict";
  const systemDark = window.matchMedia("(prefers-color-scheme: dark)");
  const videos = [];
  let watching = false;

  const theme = () => {
    const chosen = document.body ? document.body.dataset.theme : "";
    return chosen === "dark" || (chosen !== "light" && systemDark.matches) ? "dark" : "light";
  };

  const show = (video) => {
    const wanted = theme() === "dark" && video.dataset.darkSrc ? "dark" : "light";
    if (video.dataset.shown === wanted) return;
    const playing = !video.paused;
    const time = video.currentTime;
    let source = video.querySelector("source");
    if (!source) {
      source = document.createElement("source");
      source.type = "video/mp4";
      video.append(source);
    }
    video.poster = video.dataset[`${wanted}Poster`];
    source.src = video.dataset[`${wanted}Src`];
    if (video.dataset.shown) {
      video.load();
      if (time) video.currentTime = time;
      if (playing) video.play().catch(() => {});
    }
    video.dataset.shown = wanted;
  };

  const addPlayButton = (video) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "relu-play";
    button.setAttribute("aria-label", `Play the video: ${video.getAttribute("aria-label") || ""}`);
    button.addEventListener("click", () => video.play().catch(() => {}));
    const sync = () => { button.hidden = !video.paused; };
    video.addEventListener("play", sync);
    video.addEventListener("pause", sync);
    video.after(button);
  };

  const watch = () => {
    if (watching || !document.body) return;
    watching = true;
    const update = () => videos.forEach(show);
    systemDark.addEventListener("change", update);
    new MutationObserver(update).observe(document.body, {
      attributes: true,
      attributeFilter: ["data-theme"],
    });
  };

  window.reluMedia = (video) => {
    videos.push(video);
    show(video);
    addPlayButton(video);
    watch();
  };
})();
