// 随手拍: "使用我的位置" fills the hidden latitude/longitude (and the place when empty) from the phone's
// location, only when the person taps it and allows it. Without script or permission the typed place is used.
(function () {
  "use strict";
  var button = document.getElementById("use-location");
  if (!button || !("geolocation" in navigator)) return;
  var status = document.querySelector(button.dataset.status);
  var form = button.form || document.getElementById("snapshot-form");
  button.classList.remove("d-none");
  button.addEventListener("click", function () {
    status.textContent = "正在定位…";
    navigator.geolocation.getCurrentPosition(
      function (position) {
        var lat = position.coords.latitude.toFixed(6);
        var lng = position.coords.longitude.toFixed(6);
        form.elements.latitude.value = lat;
        form.elements.longitude.value = lng;
        if (!form.elements.place.value) form.elements.place.value = "手机定位 " + lat + ", " + lng;
        status.textContent = "已定位：" + lat + ", " + lng;
      },
      function () {
        status.textContent = "未能定位，请手动填写地点。";
      },
      { enableHighAccuracy: true, timeout: 10000 }
    );
  });
})();
