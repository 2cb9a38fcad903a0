import { DependsOn, Flow, IdentityAction, Main, Post, Pre, SleepAction, Step } from '../src';

/*
 * The original synergy_flow test graph:
 *   step_1 -> step_2 -> step_3 ---> step_5
 *                   \-> step_4 -/
 *                   \-> step_6 -> step_7 -> step_8
 */
const pause = { ms: 20 };

@Step({ name: 'step_1' })
@Pre(IdentityAction)
@Main(SleepAction, pause)
@Post(IdentityAction)
class Step1 {}

@Step({ name: 'step_2' })
@DependsOn(Step1)
@Main(SleepAction, pause)
class Step2 {}

@Step({ name: 'step_3' })
@DependsOn(Step2)
@Main(SleepAction, pause)
class Step3 {}

@Step({ name: 'step_4' })
@DependsOn(Step2)
@Main(SleepAction, pause)
class Step4 {}

@Step({ name: 'step_5' })
@DependsOn(Step3, Step4)
@Main(SleepAction, pause)
class Step5 {}

@Step({ name: 'step_6' })
@DependsOn(Step2)
@Main(SleepAction, pause)
class Step6 {}

@Step({ name: 'step_7' })
@DependsOn(Step6)
@Main(SleepAction, pause)
class Step7 {}

@Step({ name: 'step_8' })
@DependsOn(Step7)
@Main(SleepAction, pause)
class Step8 {}

@Flow({ name: 'eight_steps', steps: [Step1, Step2, Step3, Step4, Step5, Step6, Step7, Step8] })
export class EightStepFlow {}
