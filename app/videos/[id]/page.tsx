import type { Metadata } from "next";
import { Guarded } from "../../_components/Guarded";
import { VideoView } from "../../_components/VideoView";
import { momentHref, parseMoment } from "../../_lib/moments";

export const metadata: Metadata = { title: "Video" };

interface VideoPageProps {
  params: Promise<{ id: string }>;
  /** ?t=<seconds>&end=<seconds>&q=<query>: play from t, highlight [t, end] (a search result, found by q) */
  searchParams: Promise<{ t?: string | string[]; end?: string | string[]; q?: string | string[] }>;
}

export default async function VideoPage({ params, searchParams }: VideoPageProps) {
  const { id } = await params;
  const moment = parseMoment(await searchParams);
  // signing in returns to the same moment
  const path = moment
    ? momentHref(id, moment.start, moment.span?.end, moment.query)
    : `/videos/${encodeURIComponent(id)}`;
  return (
    <Guarded permission="videos:read" path={path}>
      {/* keyed: another video gets fresh state (loading, polling, player) */}
      <VideoView key={id} id={id} moment={moment} />
    </Guarded>
  );
}
