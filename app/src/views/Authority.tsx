/** An authority: reviews emergency access, and registers, suspends and reinstates responders. */
import { useState } from 'react';
import { useSuite } from '../chain/suite';
import { ReviewGrant, ReviewQueue } from './authority/Reviews';
import { RegisterResponder, ResponderStanding } from './authority/Responders';

export default function AuthorityView() {
  const { account } = useSuite();
  const [grantText, setGrantText] = useState('');
  const review = (id: bigint) => {
    setGrantText(id.toString());
    const form = document.getElementById('review-grant');
    form?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    form?.querySelector('input')?.focus();
  };
  return (
    <div className="authority" key={account?.address}>
      <ReviewQueue onReview={review} />
      <ReviewGrant grantText={grantText} setGrantText={setGrantText} />
      <RegisterResponder />
      <ResponderStanding />
    </div>
  );
}
