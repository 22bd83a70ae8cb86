// Runs the policy pack the way the Pulumi engine does: `run-policy-pack <engine> .` in policies/, the
// port read from its first stdout line, then the Analyzer gRPC service called with the SDK's stubs.
// A tiny Engine service answers the pack's log calls. Used by the end-to-end test and the benchmark.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerRpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import * as engineRpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engine from "@pulumi/pulumi/proto/engine_pb";

const root = join(__dirname, "..", "..");

export interface Resource {
  type: string;
  name: string;
  props: Record<string, unknown>;
  provider?: { type: string; name: string; props: Record<string, unknown> };
}

export interface Diagnostic {
  policy: string;
  message: string;
  level: "advisory" | "mandatory" | "disabled" | "remediate";
  urn: string;
}

const LEVELS = ["advisory", "mandatory", "disabled", "remediate"] as const;

const urnOf = (r: { type: string; name: string }) => `urn:pulumi:dev::shop::${r.type}::${r.name}`;

function provider(r: Resource) {
  if (!r.provider) return undefined;
  return new analyzer.AnalyzerProviderResource()
    .setType(r.provider.type)
    .setName(r.provider.name)
    .setUrn(urnOf(r.provider))
    .setProperties(Struct.fromJavaScript(r.provider.props as never));
}

function analyzeRequest(r: Resource) {
  const request = new analyzer.AnalyzeRequest().setType(r.type).setName(r.name).setUrn(urnOf(r)).setProperties(Struct.fromJavaScript(r.props as never)).setOptions(new analyzer.AnalyzerResourceOptions());
  const p = provider(r);
  if (p) request.setProvider(p);
  return request;
}

function diagnostics(response: analyzer.AnalyzeResponse): Diagnostic[] {
  return response.getDiagnosticsList().map((d) => ({ policy: d.getPolicyname(), message: d.getMessage(), level: LEVELS[d.getEnforcementlevel()]!, urn: d.getUrn() }));
}

const call = <Req, Res>(fn: (req: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => unknown, req: Req) =>
  new Promise<Res>((resolve, reject) => fn(req, (error, response) => (error ? reject(error) : resolve(response))));

export class PolicyPackProcess {
  private constructor(
    /** What the pack logged to the engine. */
    readonly logs: string[],
    private readonly child: ChildProcess,
    private readonly engine: grpc.Server,
    private readonly client: analyzerRpc.AnalyzerClient,
    /** Milliseconds from spawn to the port line. */
    readonly startupMs: number,
  ) {}

  static async start(): Promise<PolicyPackProcess> {
    const logs: string[] = [];
    const engineServer = new grpc.Server();
    engineServer.addService(engineRpc.EngineService, {
      log: (c: grpc.ServerUnaryCall<engine.LogRequest, Empty>, cb: grpc.sendUnaryData<Empty>) => {
        logs.push(c.request.getMessage());
        cb(null, new Empty());
      },
      getRootResource: (_c: unknown, cb: grpc.sendUnaryData<engine.GetRootResourceResponse>) => cb(null, new engine.GetRootResourceResponse()),
      setRootResource: (_c: unknown, cb: grpc.sendUnaryData<engine.SetRootResourceResponse>) => cb(null, new engine.SetRootResourceResponse()),
      startDebugging: (_c: unknown, cb: grpc.sendUnaryData<Empty>) => cb(null, new Empty()),
      requirePulumiVersion: (_c: unknown, cb: grpc.sendUnaryData<engine.RequirePulumiVersionResponse>) => cb(null, new engine.RequirePulumiVersionResponse()),
    });
    const enginePort = await new Promise<number>((resolve, reject) => engineServer.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, port) => (e ? reject(e) : resolve(port))));

    const started = performance.now();
    const child = spawn(process.execPath, [join(root, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack"), `127.0.0.1:${enginePort}`, "."], {
      cwd: join(root, "policies"),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once("line", (line) => resolve(Number(line.trim())));
      child.once("exit", (code) => reject(new Error(`policy pack exited with ${code} before printing its port: ${stderr}`)));
    });
    const startupMs = performance.now() - started;
    const client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new PolicyPackProcess(logs, child, engineServer, client, startupMs);
  }

  async info() {
    const info = await call<Empty, analyzer.AnalyzerInfo>(this.client.getAnalyzerInfo.bind(this.client), new Empty());
    return {
      name: info.getName(),
      version: info.getVersion(),
      policies: info.getPoliciesList().map((p) => ({ name: p.getName(), level: LEVELS[p.getEnforcementlevel()]!, configSchema: p.getConfigschema()?.getProperties()?.toJavaScript() })),
    };
  }

  async configure(config: Record<string, { level?: Diagnostic["level"]; properties?: object }>) {
    const request = new analyzer.ConfigureAnalyzerRequest();
    for (const [policy, c] of Object.entries(config)) {
      const pc = new analyzer.PolicyConfig().setEnforcementlevel(LEVELS.indexOf(c.level ?? "mandatory") as analyzer.EnforcementLevel);
      if (c.properties) pc.setProperties(Struct.fromJavaScript(c.properties as never));
      request.getPolicyconfigMap().set(policy, pc);
    }
    await call<analyzer.ConfigureAnalyzerRequest, Empty>(this.client.configure.bind(this.client), request);
  }

  async analyze(resource: Resource): Promise<Diagnostic[]> {
    return diagnostics(await call<analyzer.AnalyzeRequest, analyzer.AnalyzeResponse>(this.client.analyze.bind(this.client), analyzeRequest(resource)));
  }

  async remediate(resource: Resource): Promise<{ policy: string; props: Record<string, unknown> | undefined }[]> {
    const response = await call<analyzer.AnalyzeRequest, analyzer.RemediateResponse>(this.client.remediate.bind(this.client), analyzeRequest(resource));
    return response.getRemediationsList().map((r) => ({ policy: r.getPolicyname(), props: r.getProperties()?.toJavaScript() as Record<string, unknown> | undefined }));
  }

  async analyzeStack(resources: Resource[]): Promise<Diagnostic[]> {
    const request = new analyzer.AnalyzeStackRequest().setResourcesList(
      resources.map((r) => {
        const resource = new analyzer.AnalyzerResource().setType(r.type).setName(r.name).setUrn(urnOf(r)).setProperties(Struct.fromJavaScript(r.props as never)).setOptions(new analyzer.AnalyzerResourceOptions());
        const p = provider(r);
        if (p) resource.setProvider(p);
        return resource;
      }),
    );
    return diagnostics(await call<analyzer.AnalyzeStackRequest, analyzer.AnalyzeResponse>(this.client.analyzeStack.bind(this.client), request));
  }

  async stop() {
    this.client.close();
    this.child.kill();
    await new Promise<void>((resolve) => this.engine.tryShutdown(() => resolve()));
  }
}
