/** The dependencies of the `eight_steps` sample (samples/eight-step.flow.ts), as `from->to`. */
export const EIGHT_STEP_EDGES = [
  'step_1->step_2',
  'step_2->step_3',
  'step_2->step_4',
  'step_2->step_6',
  'step_3->step_5',
  'step_4->step_5',
  'step_6->step_7',
  'step_7->step_8',
];
