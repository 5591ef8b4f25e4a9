/* Starts Swagger UI with the settings the page holds in #swagger-settings (no inline script:
   the site's Content Security Policy allows none). */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("swagger-settings").textContent);
  config.dom_id = "#swagger-ui";
  config.presets = [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset];
  config.layout = "BaseLayout";
  // The document is read with JSON.parse, not Swagger UI's YAML reader, which refuses a JSON
  // object holding the same key twice (a status declared both as 401 and "401").
  fetch(config.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      return response.json();
    })
    .then(function (spec) {
      config.spec = spec;
      delete config.url;
      window.ui = SwaggerUIBundle(config);
    });
})();
