// A button marked data-print prints the page (the print stylesheet leaves the navigation out).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
