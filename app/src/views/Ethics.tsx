/** An ethics approver: approves or suspends research studies. */
import { useState } from 'react';
import { useSuite } from '../chain/suite';
import { RecentStudies, StudyDecision } from './ethics/Studies';

export default function EthicsView() {
  const { account } = useSuite();
  const [text, setText] = useState('');
  const open = (id: bigint) => {
    setText(id.toString());
    const form = document.getElementById('study-decision');
    form?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    form?.querySelector('input')?.focus();
  };
  return (
    <div className="ethics" key={account?.address}>
      <StudyDecision text={text} setText={setText} />
      <RecentStudies open={open} />
    </div>
  );
}
