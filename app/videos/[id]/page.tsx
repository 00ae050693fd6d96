import type { Metadata } from "next";
import { VideoView } from "../../_components/VideoView";
import { parseMoment } from "../../_lib/moments";

export const metadata: Metadata = { title: "Video" };

interface VideoPageProps {
  params: Promise<{ id: string }>;
  /** ?t=<seconds>&end=<seconds>: play from t, highlight [t, end] (a search result) */
  searchParams: Promise<{ t?: string | string[]; end?: string | string[] }>;
}

export default async function VideoPage({ params, searchParams }: VideoPageProps) {
  const { id } = await params;
  const moment = parseMoment(await searchParams);
  // keyed: another video gets fresh state (loading, polling, player)
  return <VideoView key={id} id={id} moment={moment} />;
}
