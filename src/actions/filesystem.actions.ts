import type { StepContext } from '../engine/step-context';
import type { Action } from '../engine/action';

/* The seed's filesystem actions: each one call on the step cluster's filesystem. */

export class MkdirAction implements Action<{ uri: string }> {
  run(ctx: StepContext, args: { uri: string }): Promise<void> {
    return ctx.cluster.filesystem.mkdir(args.uri);
  }
}

export class RmdirAction implements Action<{ uri: string }> {
  run(ctx: StepContext, args: { uri: string }): Promise<void> {
    return ctx.cluster.filesystem.rmdir(args.uri);
  }
}

export class RmAction implements Action<{ uri: string }> {
  run(ctx: StepContext, args: { uri: string }): Promise<void> {
    return ctx.cluster.filesystem.rm(args.uri);
  }
}

export class CpAction implements Action<{ from: string; to: string }> {
  run(ctx: StepContext, args: { from: string; to: string }): Promise<void> {
    return ctx.cluster.filesystem.cp(args.from, args.to);
  }
}

export class MvAction implements Action<{ from: string; to: string }> {
  run(ctx: StepContext, args: { from: string; to: string }): Promise<void> {
    return ctx.cluster.filesystem.mv(args.from, args.to);
  }
}

export class CopyToLocalAction implements Action<{ uri: string; localPath: string }> {
  run(ctx: StepContext, args: { uri: string; localPath: string }): Promise<void> {
    return ctx.cluster.filesystem.copyToLocal(args.uri, args.localPath);
  }
}

export class CopyFromLocalAction implements Action<{ localPath: string; uri: string }> {
  run(ctx: StepContext, args: { localPath: string; uri: string }): Promise<void> {
    return ctx.cluster.filesystem.copyFromLocal(args.localPath, args.uri);
  }
}
