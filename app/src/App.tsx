export function App() {
  return (
    <main>
      <h1>carechain</h1>
      <p>Load a deployment</p>
    </main>
  );
}
