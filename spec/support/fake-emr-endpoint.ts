import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { emrModelViolations } from './emr-service-model';

/**
 * A small EMR API on 127.0.0.1 speaking the real wire protocol (AWS JSON 1.1: POST /, header
 * `X-Amz-Target: ElasticMapReduce.<Operation>`), so specs can drive the real SDK client: its
 * signing, serialization, retry strategy and error parsing. Clusters and steps move one state per
 * Describe call along scripts the spec can change.
 */
export interface RecordedEmrRequest {
  operation: string;
  body: any;
  headers: http.IncomingHttpHeaders;
}

export interface FakeEmrCluster {
  id: string;
  name: string;
  state: string;
  /** States still to come, one per DescribeCluster. */
  script: string[];
  stateChangeReason?: { Code: string; Message: string };
  terminationProtected: boolean;
  request: any;
  steps: FakeEmrStep[];
}

export interface FakeEmrStep {
  id: string;
  clusterId: string;
  name: string;
  jar: string;
  args: string[];
  state: string;
  script: string[];
  failureDetails?: { Reason?: string; Message?: string; LogFile?: string };
}

export interface EmrFault {
  status: number;
  type: string;
  message: string;
}

export class FakeEmrEndpoint {
  readonly requests: RecordedEmrRequest[] = [];
  /** Every request that broke the EMR service model (answered 400 ValidationException, as EMR would): specs expect none. */
  readonly modelViolations: string[] = [];
  readonly clusters = new Map<string, FakeEmrCluster>();
  /** States a new cluster goes through after STARTING. */
  clusterScript: string[] = ['BOOTSTRAPPING', 'WAITING'];
  /** The StateChangeReason new clusters report, e.g. for one scripted to die while starting. */
  clusterReason?: { Code: string; Message: string };
  /** Decides a new step's states after PENDING (and its failure details). */
  stepScript: (step: FakeEmrStep) => Pick<FakeEmrStep, 'script' | 'failureDetails'> = () => ({ script: ['RUNNING', 'COMPLETED'] });
  /** Called once an operation took effect, e.g. to queue faults for what the engine does next. */
  afterOperation: (operation: string) => void = () => undefined;
  /** ListClusters page size, small enough for specs to exercise the Marker. */
  pageSize = 50;
  private readonly faults: Array<{ operation: string; afterSuccess?: boolean } & EmrFault> = [];
  private sequence = 0;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeEmrEndpoint> {
    let endpoint: FakeEmrEndpoint | undefined;
    const server = http.createServer((req, res) => endpoint!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    endpoint = new FakeEmrEndpoint(server, `http://127.0.0.1:${port}`);
    return endpoint;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next `operation` call answers with this error (queue several for several failures). */
  failNext(operation: string, fault: EmrFault): void {
    this.faults.push({ operation, ...fault });
  }

  /**
   * The next `operation` call takes effect (e.g. RunJobFlow creates its cluster) and then answers
   * with this error: the answer EMR gives when it failed after doing the work, or a lost response.
   */
  failNextAfterSuccess(operation: string, fault: EmrFault): void {
    this.faults.push({ operation, afterSuccess: true, ...fault });
  }

  /** A cluster that already exists, e.g. to be reused by name. */
  addCluster(name: string, state: string, script: string[] = []): FakeEmrCluster {
    const cluster: FakeEmrCluster = {
      id: this.nextId('j'),
      name,
      state,
      script,
      terminationProtected: true,
      request: undefined,
      steps: [],
    };
    this.clusters.set(cluster.id, cluster);
    return cluster;
  }

  /**
   * Ends a cluster as EMR does when it fails under its steps (a lost primary node, say): its
   * running steps end INTERRUPTED, its pending ones CANCELLED.
   */
  endCluster(id: string, state: string, reason: { Code: string; Message: string }): void {
    const cluster = this.cluster(id);
    cluster.state = state;
    cluster.script = [];
    cluster.stateChangeReason = reason;
    for (const step of cluster.steps) {
      if (step.state === 'RUNNING') step.state = 'INTERRUPTED';
      if (step.state === 'PENDING') step.state = 'CANCELLED';
      if (['INTERRUPTED', 'CANCELLED'].includes(step.state)) step.script = [];
    }
  }

  operations(): string[] {
    return this.requests.map((r) => r.operation);
  }

  calls(operation: string): RecordedEmrRequest[] {
    return this.requests.filter((r) => r.operation === operation);
  }

  steps(): FakeEmrStep[] {
    return [...this.clusters.values()].flatMap((c) => c.steps);
  }

  private nextId(prefix: string): string {
    this.sequence++;
    return `${prefix}-FAKE${String(this.sequence).padStart(8, '0')}`;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.startsWith('ElasticMapReduce.') ? target.slice('ElasticMapReduce.'.length) : '';
      let body: any;
      try {
        body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
      } catch {
        return this.send(res, 400, { __type: 'SerializationException', message: 'body is not JSON' });
      }
      this.requests.push({ operation, body, headers: req.headers });
      if (req.method !== 'POST' || req.url !== '/' || !operation) {
        return this.send(res, 400, {
          __type: 'UnknownOperationException',
          message: `not an EMR JSON 1.1 request: ${req.method} ${req.url} ${target}`,
        });
      }
      const violations = emrModelViolations(operation, body);
      if (violations.length) {
        this.modelViolations.push(...violations);
        return this.send(res, 400, { __type: 'ValidationException', message: violations.join('; ') });
      }
      const faultIndex = this.faults.findIndex((f) => f.operation === operation);
      if (faultIndex >= 0) {
        const [fault] = this.faults.splice(faultIndex, 1);
        if (fault.afterSuccess) {
          this.answer(operation, body);
          this.afterOperation(operation);
        }
        return this.send(res, fault.status, { __type: fault.type, message: fault.message });
      }
      try {
        const answer = this.answer(operation, body);
        this.afterOperation(operation);
        this.send(res, 200, answer);
      } catch (err) {
        const e = err as EmrFault;
        this.send(res, e.status ?? 500, { __type: e.type ?? 'InternalServerError', message: e.message ?? String(err) });
      }
    });
  }

  private send(res: http.ServerResponse, status: number, payload: unknown): void {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `req-${this.requests.length}` });
    res.end(JSON.stringify(payload));
  }

  private cluster(id: string): FakeEmrCluster {
    const cluster = this.clusters.get(id);
    if (!cluster) throw { status: 400, type: 'InvalidRequestException', message: `Cluster id '${id}' is not valid.` };
    return cluster;
  }

  private answer(operation: string, body: any): unknown {
    switch (operation) {
      case 'ListClusters': {
        const states: string[] | undefined = body.ClusterStates;
        const all = [...this.clusters.values()].filter((c) => !states || states.includes(c.state));
        const start = body.Marker ? Number(body.Marker) : 0;
        const page = all.slice(start, start + this.pageSize);
        const next = start + this.pageSize < all.length ? String(start + this.pageSize) : undefined;
        return { Clusters: page.map((c) => ({ Id: c.id, Name: c.name, Status: { State: c.state } })), ...(next ? { Marker: next } : {}) };
      }
      case 'RunJobFlow': {
        const cluster = this.addCluster(body.Name, 'STARTING', [...this.clusterScript]);
        cluster.request = body;
        cluster.stateChangeReason = this.clusterReason;
        cluster.terminationProtected = body.Instances?.TerminationProtected === true;
        return { JobFlowId: cluster.id, ClusterArn: `arn:aws:elasticmapreduce:us-east-1:000000000000:cluster/${cluster.id}` };
      }
      case 'DescribeCluster': {
        const cluster = this.cluster(body.ClusterId);
        const next = cluster.script.shift();
        if (next) cluster.state = next;
        return {
          Cluster: {
            Id: cluster.id,
            Name: cluster.name,
            Status: { State: cluster.state, ...(cluster.stateChangeReason ? { StateChangeReason: cluster.stateChangeReason } : {}) },
            Tags: cluster.request?.Tags ?? [],
          },
        };
      }
      case 'AddJobFlowSteps': {
        const cluster = this.cluster(body.JobFlowId);
        if (cluster.state.startsWith('TERMINAT'))
          throw {
            status: 400,
            type: 'ValidationException',
            message: 'A job flow that is shutting down, terminated, or finished may not be modified.',
          };
        const ids = (body.Steps as any[]).map((config) => {
          const step: FakeEmrStep = {
            id: this.nextId('s'),
            clusterId: cluster.id,
            name: config.Name,
            jar: config.HadoopJarStep.Jar,
            args: config.HadoopJarStep.Args ?? [],
            state: 'PENDING',
            script: [],
          };
          Object.assign(step, this.stepScript(step));
          cluster.steps.push(step);
          return step.id;
        });
        return { StepIds: ids };
      }
      case 'DescribeStep': {
        const cluster = this.cluster(body.ClusterId);
        const step = cluster.steps.find((s) => s.id === body.StepId);
        if (!step) throw { status: 400, type: 'InvalidRequestException', message: `Step id '${body.StepId}' is not valid.` };
        const next = step.script.shift();
        if (next) step.state = next;
        const failed = ['FAILED', 'CANCELLED', 'INTERRUPTED'].includes(step.state);
        return {
          Step: {
            Id: step.id,
            Name: step.name,
            Config: { Jar: step.jar, Args: step.args },
            ActionOnFailure: 'CONTINUE',
            Status: { State: step.state, ...(failed && step.failureDetails ? { FailureDetails: step.failureDetails } : {}) },
          },
        };
      }
      case 'CancelSteps': {
        const cluster = this.cluster(body.ClusterId);
        return {
          CancelStepsInfoList: (body.StepIds as string[]).map((id) => {
            const step = cluster.steps.find((s) => s.id === id);
            if (!step || !['PENDING', 'RUNNING'].includes(step.state))
              return { StepId: id, Status: 'FAILED', Reason: 'step is not pending or running' };
            step.state = 'CANCEL_PENDING';
            step.script = ['CANCELLED'];
            return { StepId: id, Status: 'SUBMITTED' };
          }),
        };
      }
      case 'SetTerminationProtection': {
        const clusters = (body.JobFlowIds as string[]).map((id) => this.cluster(id));
        if (clusters.some((c) => c.state.startsWith('TERMINAT')))
          throw {
            status: 400,
            type: 'ValidationException',
            message: 'A job flow that is shutting down, terminated, or finished may not be modified.',
          };
        for (const cluster of clusters) cluster.terminationProtected = body.TerminationProtected === true;
        return {};
      }
      case 'TerminateJobFlows': {
        const clusters = (body.JobFlowIds as string[]).map((id) => this.cluster(id));
        if (clusters.some((c) => c.terminationProtected)) {
          throw {
            status: 400,
            type: 'ValidationException',
            message: 'Could not shut down one or more job flows since they are termination protected.',
          };
        }
        for (const cluster of clusters) {
          cluster.state = 'TERMINATED';
          cluster.script = [];
          cluster.stateChangeReason = { Code: 'USER_REQUEST', Message: 'Terminated by user request' };
          for (const step of cluster.steps) if (['PENDING', 'RUNNING'].includes(step.state)) step.state = 'CANCELLED';
        }
        return {};
      }
      default:
        throw { status: 400, type: 'UnknownOperationException', message: `the fake EMR endpoint does not implement ${operation}` };
    }
  }
}
