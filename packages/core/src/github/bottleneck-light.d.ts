// plugin-throttling runs on `bottleneck/light.js` (no Redis clustering); it shares the typings of
// the full build.
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck'
  export default Bottleneck
}
