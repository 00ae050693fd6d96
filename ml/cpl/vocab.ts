/**
 * The fixed Shapes vocabulary (datasets.md §3). Used as the reconstruction vocabulary of an
 * untrained grounder; a trained grounder stores the vocabulary it was trained with.
 * Index 0 is the unknown word.
 */
export const SHAPES_VOCAB: string[] = [
  "<unk>",
  ...`a an the this that circle ball disc dot square box block triangle red green blue yellow white
black gray grey navy dark background appears shows up comes into view pops disappears vanishes goes
away fades out moves move slides drifts travels to left right upward downward down grows gets bigger
expands shrinks smaller contracts spins rotates turns around blinks flashes flickers changes change
colour color becomes turn of`
    .split(/\s+/)
    .filter((w, i, a) => w && a.indexOf(w) === i),
];
