/** Authority view: arriving. */
export default function View(_props: { suspended?: boolean }) {
  return <p>This view is being built.</p>;
}
