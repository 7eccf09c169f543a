// Load a GGUF through node-llama-cpp's prebuilt CPU llama.cpp and print llama.cpp's own log.
//
// Bench tool (bench/accuracy/README.md). Run from a directory where `npm install node-llama-cpp`
// was done (not the repo):
//   node /work/main/bench/accuracy/measure.mjs MODEL.gguf CTX[,CTX...] KV[,KV...] > model.log
// KV is f16 (flash attention off), f16+fa (flash attention on, what llama.cpp's default
// flash_attn=auto picks on CPU) or q8_0 (K and V q8_0, flash attention on: llama.cpp needs it for
// a quantized V cache). Every context is created on the same loaded model, one after the
// other, and disposed; "### case ctx=N kv=T" lines separate them in the output.
// n_gpu_layers 0, use_mmap on (the sparse file is never read), one sequence. n_batch = n_ubatch =
// 512, llama.cpp's default n_ubatch: node-llama-cpp sets n_ubatch = n_batch = batchSize (default
// 512) and adds 1 when the file declares a sliding window, so 511 is passed for those files.
import {getLlama, LlamaLogLevel} from "node-llama-cpp";

const [modelPath, ctxArg, kvArg] = process.argv.slice(2);
if (!modelPath || !ctxArg || !kvArg) {
    console.error("usage: node measure.mjs MODEL.gguf CTX[,CTX...] f16|f16+fa|q8_0[,...]");
    process.exit(2);
}
const out = (s) => process.stdout.write(s);
// llama.cpp's log reaches the JS logger asynchronously: wait before writing a marker line
const settle = () => new Promise((resolve) => setTimeout(resolve, 1500));

const llama = await getLlama({
    gpu: false,
    build: "never",
    logLevel: LlamaLogLevel.info, // debug floods the log and node-llama-cpp then drops lines
    logger: (level, message) => out(message.endsWith("\n") ? message : message + "\n"),
});
out(`### node-llama-cpp llama.cpp release ${llama.llamaCppRelease?.release ?? "?"} build type ${llama.buildType}\n`);
out(`### load ${modelPath}\n`);
const model = await llama.loadModel({
    modelPath,
    gpuLayers: 0,
    useMmap: true,
    ignoreMemorySafetyChecks: true,
});
await settle();
const swa = model.fileInsights.swaSize ?? 0;
out(`### model loaded: trainContextSize=${model.trainContextSize} size=${model.size} fileInsights.swaSize=${swa}\n`);

for (const ctx of ctxArg.split(",").map(Number)) {
    for (const kv of kvArg.split(",")) {
        const flash = kv !== "f16";
        const type = kv.replace("+fa", "").toUpperCase();
        out(`### case ctx=${ctx} kv=${kv} flash_attn=${flash}\n`);
        try {
            const c = await model.createContext({
                contextSize: ctx,
                batchSize: 512 - (swa > 0 ? 1 : 0),
                flashAttention: flash,
                experimentalKvCacheKeyType: type,
                experimentalKvCacheValueType: type,
                ignoreMemorySafetyChecks: true,
                failedCreationRemedy: false,
            });
            await settle();
            out(`### context created: contextSize=${c.contextSize} batchSize=${c.batchSize} flashAttention=${c.flashAttention}\n`);
            await c.dispose();
            await settle();
        } catch (e) {
            out(`### context FAILED: ${e?.stack ?? e}\n`);
        }
        out(`### end case\n`);
    }
}
await model.dispose();
await llama.dispose();
